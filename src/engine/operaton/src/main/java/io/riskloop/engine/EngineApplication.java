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
    SpringApplication app = new SpringApplication(EngineApplication.class);
    // Runs on the prepared Environment, before any bean (and so the engine) touches the database.
    app.addListeners(new ClockSafetyListener());
    app.run(args);
  }
}
