package io.riskloop.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.FilterService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.Permission;
import org.operaton.bpm.engine.authorization.Permissions;
import org.operaton.bpm.engine.authorization.Resource;
import org.operaton.bpm.engine.authorization.Resources;
import org.operaton.bpm.engine.filter.Filter;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.springframework.stereotype.Component;

/**
 * What the webapps need with authorizations on. Every engine user (the app keeps them in step with
 * its own users) may open Tasklist and read its one task filter; what a user sees in it is what its
 * task authorizations allow — the engine grants a task's candidate groups on it as the task is
 * created, so a department sees its own tasks only. The Peace-Building Office may open Cockpit;
 * members of operaton-admin (the app's admins) reach everything.
 */
@Component
public class WebappAccessPlugin extends AbstractProcessEnginePlugin {

  static final String TASK_FILTER = "待办任务";
  /** Role groups (the app's role names) that watch the processes in Cockpit. */
  static final List<String> COCKPIT_GROUPS = List.of("peace_office");

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    AuthorizationService authorizations = engine.getAuthorizationService();
    ensureGlobal(authorizations, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    for (String group : COCKPIT_GROUPS) ensureGroupGrant(authorizations, group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    ensureGlobal(authorizations, Resources.FILTER, ensureTaskFilter(engine).getId(), Permissions.READ);
  }

  /** One filter for every user: all tasks its authorizations let it read, the most urgent first. */
  private static Filter ensureTaskFilter(ProcessEngine engine) {
    FilterService filters = engine.getFilterService();
    Filter existing = filters.createTaskFilterQuery().filterName(TASK_FILTER).singleResult();
    if (existing != null) return existing;
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("description", "本人及所在单位可办理的全部待办");
    properties.put("priority", -10);
    properties.put("refresh", true);
    Filter filter = filters.newTaskFilter(TASK_FILTER)
        .setQuery(engine.getTaskService().createTaskQuery().orderByDueDate().asc())
        .setProperties(properties);
    return filters.saveFilter(filter);
  }

  private static void ensureGlobal(AuthorizationService authorizations, Resource resource, String resourceId, Permission permission) {
    boolean present = authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GLOBAL)
        .resourceType(resource).resourceId(resourceId).count() > 0;
    if (present) return;
    Authorization global = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
    global.setUserId(Authorization.ANY);
    global.setResource(resource);
    global.setResourceId(resourceId);
    global.addPermission(permission);
    authorizations.saveAuthorization(global);
  }

  private static void ensureGroupGrant(AuthorizationService authorizations, String groupId, Resource resource, String resourceId, Permission permission) {
    boolean present = authorizations.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource).resourceId(resourceId).count() > 0;
    if (present) return;
    Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    grant.setGroupId(groupId);
    grant.setResource(resource);
    grant.setResourceId(resourceId);
    grant.addPermission(permission);
    authorizations.saveAuthorization(grant);
  }
}
