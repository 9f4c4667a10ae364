package io.riskloop.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * risk-loop's engine process: Operaton's engine, REST API (/engine-rest) and webapps (/operaton)
 * in one Spring Boot application. Started and supervised by src/engine/local-engine.ts.
 */
@SpringBootApplication
public class EngineApplication {

  public static void main(String[] args) {
    exitWithParent(System.getenv("RISKLOOP_PARENT_PID"));
    SpringApplication app = new SpringApplication(EngineApplication.class);
    // Runs on the prepared Environment, before any bean (and so the engine) touches the database.
    app.addListeners(new ClockSafetyListener());
    app.run(args);
  }

  /**
   * A launcher killed with SIGKILL cannot stop its engine; an orphan would hold the port and answer
   * the next start's readiness check with the wrong database. So the engine watches the process
   * that started it and exits (a normal shutdown) once it is gone. Containers set no parent pid.
   */
  private static void exitWithParent(String parentPid) {
    if (parentPid == null || parentPid.isBlank()) return;
    ProcessHandle.of(Long.parseLong(parentPid.trim())).ifPresent(parent -> {
      Thread watcher = new Thread(() -> {
        parent.onExit().join();
        System.err.println("risk-loop engine: the process that started it (pid " + parentPid + ") is gone; stopping");
        System.exit(0);
      }, "parent-watch");
      watcher.setDaemon(true);
      watcher.start();
    });
  }
}
