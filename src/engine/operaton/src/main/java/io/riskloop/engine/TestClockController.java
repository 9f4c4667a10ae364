package io.riskloop.engine;

import java.util.Date;
import java.util.Map;

import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.jobexecutor.JobExecutor;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test and dry-run only: moves the engine clock so timers (days of SLA) fire without waiting.
 * Registered only with riskloop.clock-controlled=true; ClockSafetyListener refuses that in
 * production. Lives outside /engine-rest so it can never be mistaken for the engine's own API.
 */
@RestController
@ConditionalOnProperty(name = ClockSafetyListener.CLOCK_KEY, havingValue = "true")
@RequestMapping("/engine-rest-test/clock")
public class TestClockController {

  private final ProcessEngine processEngine;

  public TestClockController(ProcessEngine processEngine) {
    this.processEngine = processEngine;
  }

  public record ClockRequest(Long timestamp) {}

  @GetMapping
  public Map<String, Object> get() {
    return now();
  }

  @PutMapping
  public ResponseEntity<Map<String, Object>> set(@RequestBody ClockRequest request) {
    if (request == null || request.timestamp() == null) {
      return ResponseEntity.badRequest().body(Map.of("message", "body must be {\"timestamp\": <epoch ms>}"));
    }
    // An offset, not a frozen time: the clock runs on from the instant set. Long polls of external
    // tasks and lock expiry are measured on this clock; frozen, a long poll would never time out
    // and would lock tasks for a client that gave up waiting.
    ClockUtil.offset(request.timestamp() - System.currentTimeMillis());
    wakeJobExecutor();
    return ResponseEntity.ok(now());
  }

  @DeleteMapping
  public Map<String, Object> reset() {
    ClockUtil.reset();
    wakeJobExecutor();
    return now();
  }

  /** The acquisition thread may be in its idle back-off; timers that just became due should not wait for it. */
  private void wakeJobExecutor() {
    JobExecutor jobExecutor = ((ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration()).getJobExecutor();
    if (jobExecutor != null) jobExecutor.jobWasAdded();
  }

  private static Map<String, Object> now() {
    Date now = ClockUtil.getCurrentTime();
    return Map.of("timestamp", now.getTime(), "iso", now.toInstant().toString());
  }
}
