/**
 * Orders: what a strategy asks for ({@link dev.algotrade.api.order.OrderRequest}), the
 * engine-tracked {@link dev.algotrade.api.order.Order} with its
 * {@link dev.algotrade.api.order.OrderStatus} state machine, fills, and the sealed
 * {@link dev.algotrade.api.order.OrderEvent} family (past-tense names).
 */
package dev.algotrade.api.order;
