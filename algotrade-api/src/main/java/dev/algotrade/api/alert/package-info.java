/** Alerts: the {@link dev.algotrade.api.alert.Alert} value and the channels that deliver it. */
package dev.algotrade.api.alert;
