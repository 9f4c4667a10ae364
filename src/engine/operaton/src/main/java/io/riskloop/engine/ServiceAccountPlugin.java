package io.riskloop.engine;

import java.util.List;
import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.Permissions;
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
 * gets ALL on the resources the app works with (deployments, definitions, instances, tasks, external
 * tasks through their instances, their history) and on the identity it keeps in step with the app's
 * users and departments; nothing on authorizations, filters, tenants or the webapps.
 * Runs while the engine is built, before the web server takes requests.
 */
@Component
public class ServiceAccountPlugin extends AbstractProcessEnginePlugin {

  static final List<Resource> RESOURCES = List.of(
      Resources.DEPLOYMENT,
      Resources.PROCESS_DEFINITION,
      Resources.PROCESS_INSTANCE,
      Resources.TASK,
      Resources.HISTORIC_TASK,
      Resources.HISTORIC_PROCESS_INSTANCE,
      Resources.USER,
      Resources.GROUP,
      Resources.GROUP_MEMBERSHIP);

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
    for (Resource resource : RESOURCES) {
      boolean granted = authorizations.createAuthorizationQuery().userIdIn(userId).resourceType(resource).resourceId("*").count() > 0;
      if (granted) continue;
      Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
      grant.setUserId(userId);
      grant.setResource(resource);
      grant.setResourceId("*");
      grant.addPermission(Permissions.ALL);
      authorizations.saveAuthorization(grant);
    }
  }
}
