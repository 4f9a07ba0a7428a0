// Independent-client check of the simulated gateway with @stoqey/ib (TypeScript IB client).
// usage: node stoqey-ib-check.js <port>    (module resolved from NODE_PATH or ./node_modules)
// Connects, resolves AAPL, streams quotes, places a MKT order, sees it filled (execDetails +
// commissionReport), reads the position, account summary, executions, current time, history,
// and cancels a resting LMT order. Prints one line per step; exit code 0 = every step passed.
"use strict";
const { IBApi, EventName, SecType, OrderAction, OrderType } = require("@stoqey/ib");

const port = Number(process.argv[2] || 4002);
const CLIENT_ID = 11;
const ib = new IBApi({ host: "127.0.0.1", port, clientId: CLIENT_ID });
const steps = [];
const fail = (msg) => {
  console.log("FAIL " + msg);
  try { ib.disconnect(); } catch (e) { /* ignore */ }
  process.exit(1);
};
const pass = (msg) => { steps.push(msg); console.log("ok   " + msg); };
const timer = setTimeout(() => fail("timed out; passed so far: " + steps.join(", ")), 20000);

const NOTICE_CODES = new Set([2104, 2106, 2158, 202]);
ib.on(EventName.error, (err, code, reqId) => {
  if (NOTICE_CODES.has(code)) return;
  fail(`error event code=${code} reqId=${reqId} message=${err && err.message}`);
});

function once(event, predicate) {
  return new Promise((resolve) => {
    const handler = (...args) => {
      if (!predicate || predicate(...args)) {
        ib.off(event, handler);
        resolve(args);
      }
    };
    ib.on(event, handler);
  });
}

async function main() {
  const nextId = once(EventName.nextValidId);
  const accounts = once(EventName.managedAccounts);
  ib.connect();
  const [orderId] = await nextId;
  const [accountList] = await accounts;
  pass(`connected serverVersion=${ib.serverVersion} nextValidId=${orderId} accounts=${accountList}`);

  // resolve a contract
  const details = once(EventName.contractDetails, (reqId) => reqId === 1);
  const detailsEnd = once(EventName.contractDetailsEnd, (reqId) => reqId === 1);
  ib.reqContractDetails(1, { symbol: "AAPL", secType: SecType.STK, exchange: "SMART", currency: "USD" });
  const [, cd] = await details;
  await detailsEnd;
  const conId = cd.contract.conId;
  if (conId !== 265598) fail("unexpected conId " + conId);
  pass(`contract resolved conId=${conId} longName=${cd.longName} minTick=${cd.minTick}`);
  const contract = { conId, symbol: "AAPL", secType: SecType.STK, exchange: "SMART", currency: "USD" };

  // stream quotes: a bid and an ask, then at least one more tick from the random walk
  let bid = 0, ask = 0, ticks = 0;
  const quotes = new Promise((resolve) => {
    ib.on(EventName.tickPrice, (tickerId, field, value) => {
      if (tickerId !== 2) return;
      ticks++;
      if (field === 1) bid = value;
      if (field === 2) ask = value;
      // a step sends bid then ask; judge the pair when an ask tick completes it
      if (field === 2 && bid > 0 && ticks >= 4) resolve();
    });
  });
  ib.reqMktData(2, contract, "", false, false);
  await quotes;
  if (!(ask >= bid)) fail(`crossed quote bid=${bid} ask=${ask}`);
  pass(`quotes streaming bid=${bid} ask=${ask} tickPrices=${ticks}`);
  ib.cancelMktData(2);

  // place a market order and see it filled
  const filled = once(EventName.orderStatus, (id, status) => id === orderId && status === "Filled");
  const opened = once(EventName.openOrder, (id) => id === orderId);
  const exec = once(EventName.execDetails, (reqId, c, e) => e.orderId === orderId);
  const commission = once(EventName.commissionReport);
  ib.placeOrder(orderId, contract, {
    action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 10, tif: "DAY",
    orderRef: "interop-1", transmit: true,
  });
  const [, , order, orderState] = await opened;
  if (order.orderRef !== "interop-1") fail("orderRef not echoed in openOrder: " + order.orderRef);
  const [, , execution] = await exec;
  const [, , filledQty, remaining, avgFillPrice] = await filled;
  const [report] = await commission;
  if (execution.orderRef !== "interop-1") fail("orderRef not echoed in execDetails");
  if (report.execId !== execution.execId) fail("commissionReport execId mismatch");
  pass(`order filled openOrderStatus=${orderState.status} filled=${filledQty} remaining=${remaining} `
      + `avg=${avgFillPrice} execId=${execution.execId} side=${execution.side} commission=${report.commission}`);

  // read the position
  const positions = [];
  ib.on(EventName.position, (account, c, pos, avgCost) => positions.push({ account, symbol: c.symbol, pos, avgCost }));
  const posEnd = once(EventName.positionEnd);
  ib.reqPositions();
  await posEnd;
  const aapl = positions.find((p) => p.symbol === "AAPL");
  if (!aapl || Number(aapl.pos) !== 10) fail("position not 10: " + JSON.stringify(positions));
  pass(`position ${aapl.account} AAPL ${aapl.pos} avgCost=${aapl.avgCost}`);
  ib.cancelPositions();

  // account summary
  const summary = {};
  ib.on(EventName.accountSummary, (reqId, account, tag, value) => { summary[tag] = value; });
  const sumEnd = once(EventName.accountSummaryEnd, (reqId) => reqId === 3);
  ib.reqAccountSummary(3, "All", "NetLiquidation,GrossPositionValue,AvailableFunds,TotalCashValue");
  await sumEnd;
  if (Object.keys(summary).length !== 4) fail("account summary incomplete " + JSON.stringify(summary));
  pass("account summary " + JSON.stringify(summary));
  ib.cancelAccountSummary(3);

  // executions replay
  const replayed = [];
  ib.on(EventName.execDetails, (reqId, c, e) => { if (reqId === 4) replayed.push(e.execId); });
  const execEnd = once(EventName.execDetailsEnd, (reqId) => reqId === 4);
  ib.reqExecutions(4, {});
  await execEnd;
  if (!replayed.includes(execution.execId)) fail("reqExecutions did not return " + execution.execId);
  pass(`executions replayed count=${replayed.length}`);

  // current time
  const timeP = once(EventName.currentTime);
  ib.reqCurrentTime();
  const [epoch] = await timeP;
  pass(`currentTime ${epoch}`);

  // historical bars
  const bars = [];
  const histDone = new Promise((resolve) => {
    ib.on(EventName.historicalData, (reqId, time, open, high, low, close) => {
      if (reqId !== 5) return;
      if (String(time).startsWith("finished")) resolve(); else bars.push({ time, open, close });
    });
  });
  ib.reqHistoricalData(5, contract, "", "3600 S", "5 mins", "MIDPOINT", 1, 1, false);
  await histDone;
  if (bars.length !== 12) fail("expected 12 bars, got " + bars.length);
  pass(`historical bars=${bars.length} first=${bars[0].time}`);

  // resting limit order, then cancel
  const lmtId = orderId + 1;
  const submitted = once(EventName.orderStatus, (id, status) => id === lmtId && status === "Submitted");
  const cancelled = once(EventName.orderStatus, (id, status) => id === lmtId && status === "Cancelled");
  ib.placeOrder(lmtId, contract, {
    action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: Math.round((bid - 5) * 100) / 100,
    totalQuantity: 5, tif: "GTC", orderRef: "interop-2", transmit: true,
  });
  await submitted;
  ib.cancelOrder(lmtId);
  await cancelled;
  pass(`limit order ${lmtId} rested and was cancelled`);

  clearTimeout(timer);
  ib.disconnect();
  console.log("ALL OK " + steps.length + " steps");
  process.exit(0);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
