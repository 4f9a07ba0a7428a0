/** The only place in the SQLite module that reads the wall clock: the default store clock. */
package dev.algotrade.sqlite.internal.time;
