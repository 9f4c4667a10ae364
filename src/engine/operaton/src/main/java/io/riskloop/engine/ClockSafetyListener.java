package io.riskloop.engine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Guards and tunes the clock-controlled mode before the application context exists.
 *
 * <p>{@code ClockUtil} is JVM-global: a moved clock also moves job acquisition, lock expiry and
 * history timestamps, so a production engine must never expose it. When the mode is on, short job
 * acquisition waits are added as defaults so that a moved clock fires due timers within about a
 * second (explicit settings still win).
 */
public class ClockSafetyListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String CLOCK_KEY = "riskloop.clock-controlled";
  static final String PRODUCTION_KEY = "riskloop.production";
  static final String PRODUCTION_PROFILE = "production";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment env = event.getEnvironment();
    if (!env.getProperty(CLOCK_KEY, Boolean.class, false)) return;

    boolean production = env.getProperty(PRODUCTION_KEY, Boolean.class, false)
        || Arrays.asList(env.getActiveProfiles()).contains(PRODUCTION_PROFILE);
    if (production) {
      throw new IllegalStateException(
          "Refusing to start: " + CLOCK_KEY + "=true (env RISKLOOP_CLOCK_CONTROLLED) exposes the test clock endpoint "
              + "and moves the engine's global clock, but this is a production engine ("
              + PRODUCTION_KEY + "=true / env RISKLOOP_PRODUCTION, or Spring profile '" + PRODUCTION_PROFILE + "'). "
              + "Unset " + CLOCK_KEY + ".");
    }

    Map<String, Object> fastAcquisition = new LinkedHashMap<>();
    fastAcquisition.put("operaton.bpm.job-execution.wait-time-in-millis", 200);
    fastAcquisition.put("operaton.bpm.job-execution.max-wait", 1000);
    fastAcquisition.put("operaton.bpm.job-execution.backoff-time-in-millis", 0);
    fastAcquisition.put("operaton.bpm.job-execution.max-backoff", 0);
    // Lowest precedence: application.yaml, env and system properties override these.
    env.getPropertySources().addLast(new MapPropertySource("riskloopClockControlledDefaults", fastAcquisition));
  }
}
