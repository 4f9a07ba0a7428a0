/**
 * The bundled example bot: a moving-average crossover strategy and the {@code main} that
 * assembles it with a simulated market and the paper broker.
 */
package dev.algotrade.examples;
