package io.riskloop.engine;

import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.variable.serializer.JavaObjectSerializer;
import org.operaton.bpm.engine.impl.variable.serializer.VariableSerializers;
import org.springframework.stereotype.Component;

/**
 * Registers {@link JsonObjectValueSerializer} ahead of Java serialization and the REST type "Json"
 * ({@link JsonValueType}), as Spin's plugin would.
 * The starter adds every ProcessEnginePlugin bean to the engine configuration.
 */
@Component
public class JsonVariablesPlugin extends AbstractProcessEnginePlugin {

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    VariableSerializers serializers = configuration.getVariableSerializers();
    int javaIndex = serializers.getSerializerIndexByName(JavaObjectSerializer.NAME);
    serializers.addSerializer(new JsonObjectValueSerializer(), javaIndex);
    configuration.getValueTypeResolver().addType(new JsonValueType());
  }
}
