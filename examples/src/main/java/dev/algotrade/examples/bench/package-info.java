/** Benchmarks of the whole engine: an end-to-end replay that prints its figures. */
package dev.algotrade.examples.bench;
