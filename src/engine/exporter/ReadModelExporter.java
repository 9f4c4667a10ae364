package io.riskloop.exporter;

import io.camunda.zeebe.exporter.api.Exporter;
import io.camunda.zeebe.exporter.api.context.Context;
import io.camunda.zeebe.exporter.api.context.Controller;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Writes the engine's user tasks, process and element instances and incidents into risk-loop's
 * PostgreSQL read model (tables engine_*). Why: the Camunda distribution on Maven Central (8.6)
 * has no RDBMS secondary storage, so there is no search API for user tasks without Elasticsearch;
 * Camunda's own answer to "read models" is an exporter.
 *
 * <p>At least once: a record is acknowledged only after its upsert committed; a redelivered record
 * is ignored because every upsert is guarded by the record position.
 */
public final class ReadModelExporter implements Exporter {
  private Logger log;
  private Controller controller;
  private String url;
  private String user;
  private String password;
  private Connection connection;
  private boolean freshEngine;

  @Override
  public void configure(Context context) {
    log = context.getLogger();
    Map<String, Object> args = context.getConfiguration().getArguments();
    url = String.valueOf(args.get("url"));
    user = String.valueOf(args.getOrDefault("user", "postgres"));
    password = String.valueOf(args.getOrDefault("password", ""));
    context.setFilter(
        new Context.RecordFilter() {
          @Override
          public boolean acceptType(RecordType recordType) {
            return recordType == RecordType.EVENT;
          }

          @Override
          public boolean acceptValue(ValueType valueType) {
            return valueType == ValueType.PROCESS_INSTANCE
                || valueType == ValueType.USER_TASK
                || valueType == ValueType.INCIDENT
                || valueType == ValueType.VARIABLE;
          }
        });
  }

  @Override
  public void open(Controller controller) {
    this.controller = controller;
    // A fresh engine (nothing exported yet) means the read model describes an engine that no
    // longer exists: it is cleared before the first write, so old keys cannot shadow new ones.
    freshEngine = controller.getLastExportedRecordPosition() < 0;
  }

  @Override
  public void close() {
    closeConnection();
  }

  @Override
  public void export(Record<?> record) {
    try {
      Connection c = connection();
      if (freshEngine) {
        try (var s = c.createStatement()) {
          s.executeUpdate("DELETE FROM engine_user_task; DELETE FROM engine_element_instance;"
              + " DELETE FROM engine_process_instance; DELETE FROM engine_incident; DELETE FROM engine_variable");
        }
        freshEngine = false;
      }
      switch (record.getValueType()) {
        case PROCESS_INSTANCE -> exportProcessInstance(c, record);
        case USER_TASK -> exportUserTask(c, record);
        case INCIDENT -> exportIncident(c, record);
        case VARIABLE -> exportVariable(c, record);
        default -> { }
      }
      controller.updateLastExportedRecordPosition(record.getPosition());
    } catch (SQLException e) {
      // Throwing makes the engine retry this record with back-off: nothing is skipped.
      closeConnection();
      log.warn("risk-loop read model not written, will retry: {}", e.getMessage());
      throw new IllegalStateException(e);
    }
  }

  private void exportProcessInstance(Connection c, Record<?> record) throws SQLException {
    ProcessInstanceRecordValue v = (ProcessInstanceRecordValue) record.getValue();
    String state = stateOf(record.getIntent());
    if (state == null) return;
    Timestamp at = new Timestamp(record.getTimestamp());
    if (v.getBpmnElementType() == BpmnElementType.PROCESS) {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO engine_process_instance AS t (key, bpmn_process_id, version, process_definition_key,"
              + " parent_process_instance_key, parent_element_instance_key, state, start_time, end_time, position)"
              + " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state,"
              + " end_time = COALESCE(EXCLUDED.end_time, t.end_time), position = EXCLUDED.position"
              + " WHERE t.position < EXCLUDED.position")) {
        s.setLong(1, v.getProcessInstanceKey());
        s.setString(2, v.getBpmnProcessId());
        s.setInt(3, v.getVersion());
        s.setLong(4, v.getProcessDefinitionKey());
        s.setLong(5, v.getParentProcessInstanceKey());
        s.setLong(6, v.getParentElementInstanceKey());
        s.setString(7, state);
        s.setTimestamp(8, at);
        s.setTimestamp(9, "ACTIVE".equals(state) ? null : at);
        s.setLong(10, record.getPosition());
        s.executeUpdate();
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO engine_element_instance AS t (key, process_instance_key, bpmn_process_id, element_id,"
            + " element_type, flow_scope_key, state, start_time, end_time, position)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state,"
            + " end_time = COALESCE(EXCLUDED.end_time, t.end_time), position = EXCLUDED.position"
            + " WHERE t.position < EXCLUDED.position")) {
      s.setLong(1, record.getKey());
      s.setLong(2, v.getProcessInstanceKey());
      s.setString(3, v.getBpmnProcessId());
      s.setString(4, v.getElementId());
      s.setString(5, v.getBpmnElementType().name());
      s.setLong(6, v.getFlowScopeKey());
      s.setString(7, state);
      s.setTimestamp(8, at);
      s.setTimestamp(9, "ACTIVE".equals(state) ? null : at);
      s.setLong(10, record.getPosition());
      s.executeUpdate();
    }
  }

  private static String stateOf(Object intent) {
    if (intent == ProcessInstanceIntent.ELEMENT_ACTIVATED) return "ACTIVE";
    if (intent == ProcessInstanceIntent.ELEMENT_COMPLETED) return "COMPLETED";
    if (intent == ProcessInstanceIntent.ELEMENT_TERMINATED) return "TERMINATED";
    return null;
  }

  private void exportUserTask(Connection c, Record<?> record) throws SQLException {
    UserTaskRecordValue v = (UserTaskRecordValue) record.getValue();
    Object intent = record.getIntent();
    String state;
    if (intent == UserTaskIntent.CREATED || intent == UserTaskIntent.ASSIGNED || intent == UserTaskIntent.UPDATED) {
      state = "CREATED";
    } else if (intent == UserTaskIntent.COMPLETED) {
      state = "COMPLETED";
    } else if (intent == UserTaskIntent.CANCELED) {
      state = "CANCELED";
    } else {
      return;
    }
    boolean ended = !"CREATED".equals(state);
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO engine_user_task AS t (key, process_instance_key, process_definition_key, bpmn_process_id,"
            + " element_id, element_instance_key, candidate_groups, candidate_users, assignee, due_date,"
            + " follow_up_date, priority, form_key, custom_headers, state, creation_time, end_time, position)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?::timestamptz,?::timestamptz,?,?,?::jsonb,?,?,?,?)"
            + " ON CONFLICT (key) DO UPDATE SET candidate_groups = EXCLUDED.candidate_groups,"
            + " candidate_users = EXCLUDED.candidate_users, assignee = EXCLUDED.assignee,"
            + " due_date = EXCLUDED.due_date, follow_up_date = EXCLUDED.follow_up_date,"
            + " priority = EXCLUDED.priority, state = EXCLUDED.state,"
            + " end_time = COALESCE(EXCLUDED.end_time, t.end_time), position = EXCLUDED.position"
            + " WHERE t.position < EXCLUDED.position")) {
      s.setLong(1, v.getUserTaskKey());
      s.setLong(2, v.getProcessInstanceKey());
      s.setLong(3, v.getProcessDefinitionKey());
      s.setString(4, v.getBpmnProcessId());
      s.setString(5, v.getElementId());
      s.setLong(6, v.getElementInstanceKey());
      s.setArray(7, c.createArrayOf("text", v.getCandidateGroupsList().toArray()));
      s.setArray(8, c.createArrayOf("text", v.getCandidateUsersList().toArray()));
      s.setString(9, emptyToNull(v.getAssignee()));
      s.setString(10, emptyToNull(v.getDueDate()));
      s.setString(11, emptyToNull(v.getFollowUpDate()));
      s.setInt(12, v.getPriority());
      s.setLong(13, v.getFormKey());
      s.setString(14, toJson(v.getCustomHeaders()));
      s.setString(15, state);
      s.setTimestamp(16, new Timestamp(v.getCreationTimestamp() > 0 ? v.getCreationTimestamp() : record.getTimestamp()));
      s.setTimestamp(17, ended ? new Timestamp(record.getTimestamp()) : null);
      s.setLong(18, record.getPosition());
      s.executeUpdate();
    }
  }

  /** The latest value (JSON) of each variable by scope, so forms can show what the process knows. */
  private void exportVariable(Connection c, Record<?> record) throws SQLException {
    VariableRecordValue v = (VariableRecordValue) record.getValue();
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO engine_variable AS t (key, process_instance_key, scope_key, name, value, position)"
            + " VALUES (?,?,?,?,?::jsonb,?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value,"
            + " position = EXCLUDED.position WHERE t.position < EXCLUDED.position")) {
      s.setLong(1, record.getKey());
      s.setLong(2, v.getProcessInstanceKey());
      s.setLong(3, v.getScopeKey());
      s.setString(4, v.getName());
      s.setString(5, v.getValue());
      s.setLong(6, record.getPosition());
      s.executeUpdate();
    }
  }

  private void exportIncident(Connection c, Record<?> record) throws SQLException {
    IncidentRecordValue v = (IncidentRecordValue) record.getValue();
    Object intent = record.getIntent();
    String state = intent == IncidentIntent.CREATED ? "ACTIVE" : intent == IncidentIntent.RESOLVED ? "RESOLVED" : null;
    if (state == null) return;
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO engine_incident AS t (key, process_instance_key, bpmn_process_id, element_id,"
            + " element_instance_key, job_key, error_type, error_message, state, creation_time, position)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state,"
            + " position = EXCLUDED.position WHERE t.position < EXCLUDED.position")) {
      s.setLong(1, record.getKey());
      s.setLong(2, v.getProcessInstanceKey());
      s.setString(3, v.getBpmnProcessId());
      s.setString(4, v.getElementId());
      s.setLong(5, v.getElementInstanceKey());
      s.setLong(6, v.getJobKey());
      s.setString(7, v.getErrorType().name());
      s.setString(8, v.getErrorMessage());
      s.setString(9, state);
      s.setTimestamp(10, new Timestamp(record.getTimestamp()));
      s.setLong(11, record.getPosition());
      s.executeUpdate();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, user, password);
      connection.setAutoCommit(true);
    }
    return connection;
  }

  private void closeConnection() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the connection is being discarded anyway
    }
    connection = null;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Custom headers are flat string maps; quoting by hand avoids pulling a JSON library into the broker. */
  private static String toJson(Map<String, String> map) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return b.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
          else b.append(ch);
        }
      }
    }
    return b.append('"').toString();
  }
}
