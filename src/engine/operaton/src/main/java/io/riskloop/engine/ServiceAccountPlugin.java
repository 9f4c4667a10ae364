package io.riskloop.engine;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.operaton.bpm.engine.authorization.HistoricTaskPermissions;
import org.operaton.bpm.engine.authorization.Permission;
import org.operaton.bpm.engine.authorization.Permissions;
import org.operaton.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.operaton.bpm.engine.authorization.ProcessInstancePermissions;
import org.operaton.bpm.engine.authorization.TaskPermissions;
import org.operaton.bpm.engine.authorization.Resource;
import org.operaton.bpm.engine.authorization.Resources;
import org.operaton.bpm.engine.identity.User;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The account the risk-loop app and its workers use on the REST API (which requires authentication,
 * see {@link RestAuthenticationConfiguration}). Created when missing and its password set from the
 * configuration at every start, so rotating the secret is a restart. It is not an administrator: it
 * gets exactly the permissions the app's calls need ({@link #GRANTS}: deploy, start, correlate,
 * work external and user tasks, cancel, read their history, keep the identity in step with the
 * app's users and departments) and nothing on authorizations, filters, tenants, batches, job
 * definitions, suspension, migration, history deletion or the webapps. The grants are set anew at
 * every start, so an installation that had wider ones is narrowed.
 * Runs while the engine is built, before the web server takes requests.
 */
@Component
public class ServiceAccountPlugin extends AbstractProcessEnginePlugin {

  /** What the app's REST calls need, per resource, on every instance of it ("*"). */
  static final Map<Resource, Permission[]> GRANTS = Map.of(
      // bpmn/ at start and the admin modeler: deploy, compare with what is deployed.
      Resources.DEPLOYMENT, new Permission[] {Permissions.CREATE, Permissions.READ},
      // Start by message, correlate, fetch/complete/fail external tasks, work user tasks, cancel.
      Resources.PROCESS_DEFINITION, new Permission[] {
          ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.CREATE_INSTANCE,
          ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE,
          ProcessDefinitionPermissions.DELETE_INSTANCE, ProcessDefinitionPermissions.READ_TASK,
          ProcessDefinitionPermissions.UPDATE_TASK, ProcessDefinitionPermissions.TASK_WORK,
          ProcessDefinitionPermissions.TASK_ASSIGN, ProcessDefinitionPermissions.READ_HISTORY},
      Resources.PROCESS_INSTANCE, new Permission[] {
          ProcessInstancePermissions.CREATE, ProcessInstancePermissions.READ,
          ProcessInstancePermissions.UPDATE, ProcessInstancePermissions.DELETE},
      Resources.TASK, new Permission[] {
          TaskPermissions.READ, TaskPermissions.UPDATE, TaskPermissions.TASK_WORK, TaskPermissions.TASK_ASSIGN,
          TaskPermissions.READ_VARIABLE, TaskPermissions.UPDATE_VARIABLE},
      Resources.HISTORIC_TASK, new Permission[] {HistoricTaskPermissions.READ, HistoricTaskPermissions.READ_VARIABLE},
      Resources.HISTORIC_PROCESS_INSTANCE, new Permission[] {HistoricProcessInstancePermissions.READ},
      // The app's users and units as engine users and groups (src/services/engine-identity.ts).
      Resources.USER, new Permission[] {Permissions.READ, Permissions.CREATE, Permissions.UPDATE, Permissions.DELETE},
      Resources.GROUP, new Permission[] {Permissions.READ, Permissions.CREATE, Permissions.UPDATE, Permissions.DELETE},
      Resources.GROUP_MEMBERSHIP, new Permission[] {Permissions.CREATE, Permissions.DELETE});

  /** The same resources in a fixed order (Map.of has none), for logs and the database's sake. */
  private static final List<Resource> RESOURCE_ORDER = GRANTS.keySet().stream().sorted(Comparator.comparingInt(Resource::resourceType)).toList();

  private final String userId;
  private final String password;

  public ServiceAccountPlugin(
      @Value("${riskloop.service-account.id:risk-loop-service}") String userId,
      @Value("${riskloop.service-account.password}") String password) {
    if (password == null || password.length() < 8) {
      throw new IllegalStateException("riskloop.service-account.password (RISKLOOP_SERVICE_ACCOUNT_PASSWORD) must be set, at least 8 characters");
    }
    this.userId = userId;
    this.password = password;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    User user = identity.createUserQuery().userId(userId).singleResult();
    if (user == null) {
      user = identity.newUser(userId);
      user.setFirstName("risk-loop");
      user.setLastName("service");
    }
    user.setPassword(password);
    identity.saveUser(user);

    AuthorizationService authorizations = engine.getAuthorizationService();
    for (Resource resource : RESOURCE_ORDER) {
      Authorization grant = authorizations.createAuthorizationQuery().userIdIn(userId).resourceType(resource).resourceId("*").singleResult();
      if (grant == null) {
        grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setUserId(userId);
        grant.setResource(resource);
        grant.setResourceId("*");
      }
      grant.setPermissions(GRANTS.get(resource));
      authorizations.saveAuthorization(grant);
    }
  }
}
