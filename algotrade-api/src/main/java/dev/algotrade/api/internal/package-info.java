/**
 * Public because other packages need it, but not API: may change without notice.
 */
package dev.algotrade.api.internal;
