package io.riskloop.engine;

import java.util.ArrayList;

import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.interceptor.Command;
import org.operaton.bpm.engine.impl.interceptor.CommandInterceptor;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.pvm.process.ScopeImpl;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Every user task with a Camunda Form (camunda:formRef) checks its completion against the form's
 * output contract ({@link FormOutputCheck}), whichever door the completion came through: our
 * inbox, the engine's Tasklist or a bare REST call. Added while diagrams are parsed, so no
 * diagram has to name the listener and a diagram edited in the modeler cannot drop it.
 *
 * <p>The engine wraps whatever a task listener throws (ENGINE-03051), which REST answers with 500;
 * an outermost command interceptor hands the refusal on as the form validation error it is, which
 * REST's complete and submit-form answer with 400 and the message, as for the engine's own form
 * fields. The transaction is rolled back before that, so a refused completion stores nothing.
 */
@Component
public class FormOutputValidationPlugin extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreCommandInterceptorsTxRequired() == null) {
      configuration.setCustomPreCommandInterceptorsTxRequired(new ArrayList<>());
    }
    configuration.getCustomPreCommandInterceptorsTxRequired().add(new CommandInterceptor() {
      @Override
      public <T> T execute(Command<T> command) {
        try {
          return next.execute(command);
        } catch (ProcessEngineException e) {
          if (e.getCause() instanceof FormOutputCheck.Refusal refusal) throw refusal;
          throw e;
        }
      }
    });
    FormOutputCheck check = new FormOutputCheck();
    configuration.getCustomPostBPMNParseListeners().add(new BpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        TaskDefinition task = ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition();
        if (task.getOperatonFormDefinitionKey() != null) task.addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, check);
      }
    });
  }
}
