package org.eveflow.stats;

import java.util.Map;

/**
 * One stats report: the time, the global metrics and each output's metrics by output name, all as
 * integers (counters cumulative since start, gauges current). Immutable.
 */
public record Sample(long epochMillis, Map<String, Long> global, Map<String, Map<String, Long>> outputs) {
}
