/**
 * Portfolio: positions, account state as a broker reports it, and the read-only
 * {@link dev.algotrade.api.portfolio.PortfolioView} that strategies and risk rules see.
 */
package dev.algotrade.api.portfolio;
