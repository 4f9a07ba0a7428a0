/**
 * Test support shipped as main code: fakes of the plug-in interfaces and abstract contract
 * tests ({@code BrokerContractTest}, {@code FeedContractTest}, {@code StoreContractTest}) that
 * every adapter extends.
 */
package dev.algotrade.testkit;
