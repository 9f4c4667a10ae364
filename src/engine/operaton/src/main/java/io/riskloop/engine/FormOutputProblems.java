package io.riskloop.engine;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/**
 * One schema error in the words of the 表单: the field by its form label (the schema's titles) and
 * the reason in Chinese, for the keywords the contracts use.
 */
final class FormOutputProblems {

  private FormOutputProblems() {}

  static String describe(JsonNode schema, Error error) {
    List<Object> path = new ArrayList<>();
    NodePath at = error.getInstanceLocation();
    for (int i = 0; i < at.getNameCount(); i++) path.add(at.getElement(i));
    if ("required".equals(error.getKeyword()) && error.getProperty() != null) path.add(error.getProperty());
    JsonNode field = schema;
    StringBuilder label = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Number index) {
        field = field.path("items");
        label.append("第").append(index.intValue() + 1).append("项");
      } else {
        field = field.path("properties").path(step.toString());
        if (!label.isEmpty()) label.append("·");
        label.append(field.path("title").asText(step.toString()));
      }
    }
    return (label.isEmpty() ? "表单" : label) + "：" + reason(field, error);
  }

  private static String reason(JsonNode field, Error error) {
    return switch (error.getKeyword()) {
      case "required" -> "必填";
      case "minLength" -> "不能为空";
      case "maxLength" -> "不能超过 " + field.path("maxLength").asInt() + " 字";
      case "minItems" -> "至少填写一项";
      case "const" -> field.path("const").isBoolean() ? "须勾选确认" : "取值不在允许范围内";
      case "enum" -> "须为以下之一：" + allowed(field.path("enum"));
      case "pattern", "format" -> "date".equals(field.path("format").asText()) ? "须为日期（年-月-日）" : "格式不对";
      case "type", "anyOf" -> "类型不对";
      default -> error.getMessage();
    };
  }

  private static String allowed(JsonNode values) {
    List<String> texts = new ArrayList<>();
    for (JsonNode value : values) texts.add(value.asText());
    return String.join("、", texts);
  }
}
