/**
 * Health monitoring: the {@link dev.algotrade.core.monitor.HealthMonitor} that watches the engine
 * and raises alerts, the heartbeat file and store row, and the checks the external watchdog and
 * the abnormal-exit hook use.
 */
package dev.algotrade.core.monitor;
