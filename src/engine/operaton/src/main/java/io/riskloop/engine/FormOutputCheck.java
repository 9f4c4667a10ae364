package io.riskloop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import org.operaton.bpm.engine.OptimisticLockingException;
import org.operaton.bpm.engine.exception.NotFoundException;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.GetDeployedTaskFormCmd;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.CommandContext;
import org.operaton.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * Checks the variables a task completion leaves against the JSON Schema the app put into the
 * task's deployed form (property {@value #SCHEMA_PROPERTY}, derived from the same zod contract our
 * inbox validates with), and refuses the completion with a Chinese message naming each field by its
 * form label. REST answers the refusal with 400, and Tasklist shows the message.
 *
 * <p>Values are read as the process sees them after the completion's variables were set: what the
 * form submitted, or, for a field it left out, what an earlier round stored.
 */
public class FormOutputCheck implements TaskListener {

  /** Must match OUTPUT_SCHEMA_PROPERTY in src/engine/form-output-schema.ts. */
  static final String SCHEMA_PROPERTY = "riskLoopOutputSchema";

  private final ObjectMapper mapper = new ObjectMapper();
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  /** Compiled schemas by their text: few forms, few versions. */
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  @Override
  public void notify(DelegateTask task) {
    requireCurrentExecution(task);
    JsonNode schemaNode = outputSchema(task);
    if (schemaNode == null) return;
    Schema schema = compiled.computeIfAbsent(schemaNode.toString(), registry::getSchema);

    ObjectNode submitted = mapper.createObjectNode();
    for (Iterator<String> names = schemaNode.path("properties").fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!task.hasVariable(name)) continue;
      Object value = task.getVariable(name);
      submitted.set(name, mapper.valueToTree(value instanceof Date date ? date.toInstant().toString() : value));
    }
    List<Error> errors = schema.validate(submitted);
    if (errors.isEmpty()) return;

    List<String> problems = new ArrayList<>();
    for (Error error : errors) problems.add(FormOutputProblems.describe(schemaNode, error));
    throw new Refusal(problems);
  }

  /** A completion the contract refuses; its detail is the list of problems. */
  public static final class Refusal extends FormFieldValidationException {
    Refusal(List<String> problems) {
      super(problems, "表单填写不符合要求：" + String.join("；", problems.stream().distinct().toList()));
    }
  }

  /**
   * A parallel branch that ended in another transaction can compact the execution tree between
   * this command's reading of the task and of its execution: the execution it names is gone. The
   * engine would refuse this completion with an optimistic-locking failure when it flushes; say so
   * now, as that conflict, rather than let the form lookup fail on the missing execution (seen in the
   * county-year run as a 500 "execution is null", which callers cannot tell from a real fault).
   */
  private static void requireCurrentExecution(DelegateTask task) {
    if (task.getExecutionId() != null && task.getExecution() == null) {
      throw new OptimisticLockingException("the execution " + task.getExecutionId() + " of task " + task.getId()
          + " was updated by another transaction concurrently");
    }
  }

  /**
   * The schema inside the task's deployed form, or null for a form without one (test fixtures) or a
   * form reference nothing deployed answers (Tasklist cannot render such a task either; the
   * contract test keeps every formRef of bpmn/ deployed).
   */
  private JsonNode outputSchema(DelegateTask task) {
    // The command runs inside this completion's command, not through FormService: a nested service
    // call that throws marks the surrounding Spring transaction rollback-only even when caught.
    CommandContext context = Context.getCommandContext();
    String form = context.runWithoutAuthorization(() -> {
      try (InputStream in = new GetDeployedTaskFormCmd(task.getId()).execute(context)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (NotFoundException e) {
        return null;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the deployed form of task " + task.getId(), e);
      }
    });
    if (form == null) return null;
    try {
      JsonNode schema = mapper.readTree(form).get(SCHEMA_PROPERTY);
      return schema == null || schema.isNull() ? null : schema;
    } catch (IOException e) {
      throw new IllegalStateException("the deployed form of task " + task.getId() + " is not JSON", e);
    }
  }
}
