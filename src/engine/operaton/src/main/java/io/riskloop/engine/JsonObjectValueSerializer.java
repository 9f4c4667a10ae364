package io.riskloop.engine;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer;

/**
 * Object variables in JSON (serializationDataFormat application/json), the job Spin's Jackson data
 * format would do: operaton-spin-dataformat-json-jackson 1.0.3 is not served by Maven Central, so
 * this small Jackson serializer stands in for it.
 *
 * <p>It uses Spin's serializer name ("spin://application/json"), so variables stored now stay
 * readable if the Spin data format replaces this class later. Deserialized values are plain
 * maps, lists and scalars, which JUEL navigates ({@code ${settings.noticeFeedbackWorkingDays}},
 * multi-instance collections).
 *
 * <p>Only JSON-shaped types are accepted as objectTypeName: a REST client must not be able to make
 * the engine instantiate arbitrary classes.
 */
public class JsonObjectValueSerializer extends AbstractObjectValueSerializer {

  public static final String FORMAT = "application/json";
  public static final String NAME = "spin://" + FORMAT;

  private final ObjectMapper mapper = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public JsonObjectValueSerializer() {
    super(FORMAT);
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  protected boolean isSerializationTextBased() {
    return true;
  }

  @Override
  protected boolean canSerializeValue(Object value) {
    return isJsonShaped(value.getClass());
  }

  @Override
  protected String getTypeNameForDeserialized(Object deserializedObject) {
    return deserializedObject.getClass().getName();
  }

  @Override
  protected byte[] serializeToByteArray(Object deserializedObject) throws Exception {
    return mapper.writeValueAsBytes(deserializedObject);
  }

  @Override
  protected Object deserializeFromByteArray(byte[] bytes, String objectTypeName) throws Exception {
    JavaType type;
    try {
      // Canonical names such as java.util.ArrayList<java.lang.String> (Spin's style) parse too.
      type = mapper.getTypeFactory().constructFromCanonical(objectTypeName);
    } catch (IllegalArgumentException e) {
      throw new ProcessEngineException("Unknown objectTypeName '" + objectTypeName + "' for JSON variable", e);
    }
    if (!isJsonShaped(type.getRawClass())) {
      throw new ProcessEngineException("objectTypeName '" + objectTypeName
          + "' is not allowed for JSON variables: use java.util.LinkedHashMap, java.util.ArrayList or a scalar type");
    }
    return mapper.readValue(new String(bytes, StandardCharsets.UTF_8), type);
  }

  private static boolean isJsonShaped(Class<?> type) {
    return Map.class.isAssignableFrom(type)
        || Collection.class.isAssignableFrom(type)
        || type == String.class
        || type == Boolean.class
        || Number.class.isAssignableFrom(type);
  }
}
