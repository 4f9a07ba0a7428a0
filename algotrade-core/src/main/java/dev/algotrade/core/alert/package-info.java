/**
 * Alert channels in core: the always-on {@link dev.algotrade.core.alert.LogAlerter}, and the
 * routing, de-duplicating, rate-limiting composite that fronts the other channels.
 */
package dev.algotrade.core.alert;
