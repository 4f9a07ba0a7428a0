/**
 * The AlgoTrade engine and its {@code TradingSystem} builder. Sub-packages: {@code time}
 * (clocks), {@code indicator}, {@code feed}, {@code paper} (the paper broker), and
 * {@code internal} (engine parts that are public but not API).
 */
package dev.algotrade.core;
