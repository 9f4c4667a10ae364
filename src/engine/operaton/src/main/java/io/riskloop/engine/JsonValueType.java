package io.riskloop.engine;

import java.util.Map;

import org.operaton.bpm.engine.variable.Variables;
import org.operaton.bpm.engine.variable.impl.type.AbstractValueTypeImpl;
import org.operaton.bpm.engine.variable.type.SerializableValueType;
import org.operaton.bpm.engine.variable.value.SerializableValue;
import org.operaton.bpm.engine.variable.value.TypedValue;

/**
 * The REST type "Json", as Tasklist sends a Camunda Form's list or object value that has no
 * variable yet (a 风险提示函's 具体工作措施, a taglist). Spin would define it, but its JSON data format
 * is not served by Maven Central (see {@link JsonObjectValueSerializer}); here the value becomes
 * an ordinary JSON Object variable, stored by that serializer and read back as type Object.
 */
public class JsonValueType extends AbstractValueTypeImpl implements SerializableValueType {

  public static final String TYPE_NAME = "json";

  public JsonValueType() {
    super(TYPE_NAME);
  }

  @Override
  public boolean isPrimitiveValueType() {
    return false;
  }

  @Override
  public SerializableValue createValueFromSerialized(String serializedValue, Map<String, Object> valueInfo) {
    return Variables.serializedObjectValue(serializedValue)
        .serializationDataFormat(JsonObjectValueSerializer.FORMAT)
        .objectTypeName(javaTypeOf(serializedValue))
        .create();
  }

  @Override
  public TypedValue createValue(Object value, Map<String, Object> valueInfo) {
    return Variables.objectValue(value).serializationDataFormat(JsonObjectValueSerializer.FORMAT).create();
  }

  @Override
  public Map<String, Object> getValueInfo(TypedValue typedValue) {
    return Map.of(VALUE_INFO_SERIALIZATION_DATA_FORMAT, JsonObjectValueSerializer.FORMAT);
  }

  /** The collection a JSON text reads into; Tasklist sends only objects and arrays with this type. */
  private static String javaTypeOf(String json) {
    if (json == null) return "java.util.LinkedHashMap";
    String text = json.strip();
    if (text.startsWith("[")) return "java.util.ArrayList";
    if (text.startsWith("{")) return "java.util.LinkedHashMap";
    throw new IllegalArgumentException("A Json variable must be a JSON object or array");
  }
}
