package dev.algotrade.benchmarks;

import dev.algotrade.core.indicator.BollingerBands;
import dev.algotrade.core.indicator.Ema;
import dev.algotrade.core.indicator.Rsi;
import dev.algotrade.core.indicator.Sma;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of one indicator update. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IndicatorBenchmark {
  private final double[] prices = new double[4096];
  private int i;
  private final Sma sma = new Sma(50);
  private final Ema ema = new Ema(50);
  private final Rsi rsi = new Rsi(14);
  private final BollingerBands bb = new BollingerBands(20, 2);

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    double p = 100;
    for (int k = 0; k < prices.length; k++) {
      p += r.nextGaussian() * 0.05;
      prices[k] = p;
    }
  }

  private double next() {
    double p = prices[i];
    i = (i + 1) & (prices.length - 1);
    return p;
  }

  @Benchmark
  public double sma() {
    return sma.update(next());
  }

  @Benchmark
  public double ema() {
    return ema.update(next());
  }

  @Benchmark
  public double rsi() {
    return rsi.update(next());
  }

  @Benchmark
  public double bollinger() {
    return bb.update(next());
  }
}
