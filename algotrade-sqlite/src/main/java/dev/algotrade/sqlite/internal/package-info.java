/** Public-but-not-API helpers of the SQLite store. Not for users; may change without notice. */
package dev.algotrade.sqlite.internal;
