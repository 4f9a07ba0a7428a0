/**
 * Settings from environment variables and a {@code .env} file: a tiny parser and typed getters
 * whose failures name the key and the value.
 */
package dev.algotrade.core.config;
