/**
 * The AlgoTrade API: value types (records) and the small interfaces every part plugs into.
 * This package holds the exception families; sub-packages hold one concept each.
 * Depends on nothing but the JDK.
 */
package dev.algotrade.api;
