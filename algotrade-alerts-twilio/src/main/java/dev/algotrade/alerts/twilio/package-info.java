/**
 * WhatsApp and SMS alerts through Twilio's REST API: {@link
 * dev.algotrade.alerts.twilio.TwilioAlerter} and its {@link
 * dev.algotrade.alerts.twilio.TwilioConfig}. Depends on the AlgoTrade API and twilio-java only.
 */
package dev.algotrade.alerts.twilio;
