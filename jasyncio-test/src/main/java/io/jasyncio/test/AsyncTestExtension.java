package io.jasyncio.test;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Runs {@link AsyncTest} methods as tasks on virtual-time {@link TestLoop}s; registered by the
 * annotation. See {@link AsyncTest} for what makes such a test fail.
 *
 * <p>How it works: parameters of type {@link TestLoop} or {@link EventLoop} resolve to the loop of
 * the first run, kept in the method's extension store (closed with it). The method invocation is
 * then intercepted and run inside {@link TestLoop#run}, with a virtual-time timer that cancels the
 * body and dumps the task tree when the timeout expires. Further exploration seeds invoke the
 * method again by reflection with a fresh loop in place of the first.
 */
public final class AsyncTestExtension implements InvocationInterceptor, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(AsyncTestExtension.class);
  private static final String LOOP_KEY = "loop";

  /** Creates the extension; JUnit does this. */
  public AsyncTestExtension() {}

  private record Config(
      Duration timeout, boolean autojump, Duration threshold, List<Long> seeds, boolean leaksOk) {}

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> t = pc.getParameter().getType();
    return (t == TestLoop.class || t == EventLoop.class)
        && pc.getDeclaringExecutable() instanceof Method m
        && AnnotationSupport.isAnnotated(m, AsyncTest.class);
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Config cfg = config(ec.getRequiredTestMethod());
    TestLoop loop =
        ec.getStore(NS)
            .computeIfAbsent(LOOP_KEY, k -> newLoop(cfg, cfg.seeds().getFirst()), TestLoop.class);
    return pc.getParameter().getType() == TestLoop.class ? loop : loop.loop();
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext ec)
      throws Throwable {
    Method method = ic.getExecutable();
    Config cfg = config(method);
    TestLoop first = ec.getStore(NS).get(LOOP_KEY, TestLoop.class);
    int runs = cfg.seeds().size();
    boolean exploring = cfg.seeds().getFirst() != null;
    for (int i = 0; i < runs; i++) {
      Long seed = cfg.seeds().get(i);
      TestLoop loop = i == 0 && first != null ? first : newLoop(cfg, seed);
      Callable<?> body;
      if (i == 0) {
        body =
            () -> {
              try {
                invocation.proceed();
              } catch (Exception | Error e) {
                throw e;
              } catch (Throwable t) {
                throw new AssertionError(t); // a bare Throwable subclass: rare, keep it as cause
              }
              return null;
            };
      } else {
        List<Object> args = new ArrayList<>(ic.getArguments());
        for (int a = 0; a < args.size(); a++) {
          if (first != null && args.get(a) == first) {
            args.set(a, loop);
          } else if (first != null && args.get(a) == first.loop()) {
            args.set(a, loop.loop());
          }
        }
        Object target = ic.getTarget().orElse(null);
        body = () -> ReflectionSupport.invokeMethod(method, target, args.toArray());
      }
      Throwable failure = runOne(loop, cfg, body, method.getName());
      if (failure != null) {
        if (exploring) {
          throw Explore.failure(seed, i + 1, runs, failure, loop.schedule());
        }
        throw failure;
      }
    }
  }

  /** Runs one body on {@code loop} and closes it; returns what makes the test fail, or null. */
  private static Throwable runOne(TestLoop loop, Config cfg, Callable<?> body, String name) {
    AtomicReference<String> expired = new AtomicReference<>();
    Throwable failure = null;
    try {
      loop.runBody(
          () -> {
            Task<?> me = Async.currentTask();
            me.setName("test " + name);
            TimerHandle timer =
                cfg.timeout() == null
                    ? null
                    : loop.loop()
                        .callLater(
                            cfg.timeout(),
                            () -> {
                              expired.set(loop.dumpTasks());
                              me.cancel(
                                  "@AsyncTest timeout of " + cfg.timeout() + " (virtual) expired");
                            });
            try {
              return body.call();
            } finally {
              if (timer != null) {
                timer.cancel();
              }
            }
          });
    } catch (Throwable t) {
      failure = t;
    }
    String dump = expired.get();
    if (dump != null) {
      failure =
          new AssertionError(
              "test timed out after "
                  + cfg.timeout()
                  + " of virtual time; the tasks when it expired:\n"
                  + dump,
              failure);
    } else if (failure == null && !cfg.leaksOk() && !settle(loop)) {
      failure =
          new AssertionError(
              "test returned while tasks it spawned were still pending, and they did not end"
                  + " without virtual time passing (they are cancelled now; await them, use a"
                  + " task group, or set allowLeakedTasks):\n"
                  + loop.dumpTasks());
    }
    try {
      loop.close();
    } catch (Throwable t) {
      failure = combine(failure, t);
    }
    AssertionError lost = Explore.unhandledErrors(loop);
    if (lost != null) {
      failure = combine(failure, lost);
    }
    return failure;
  }

  /**
   * Lets work that is already ready finish (a task cancelled at the end of the body unwinds)
   * without moving time, within a bound; returns whether no task is left.
   */
  private static boolean settle(TestLoop loop) {
    if (loop.impl().liveTasks().isEmpty()) {
      return true;
    }
    loop.run(() -> loop.idleWithin(SETTLE_ROUNDS));
    return loop.impl().liveTasks().isEmpty();
  }

  private static final long SETTLE_ROUNDS = 1000;

  private static Throwable combine(Throwable first, Throwable next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static TestLoop newLoop(Config cfg, Long seed) {
    TestLoop.Builder b =
        TestLoop.builder().autojump(cfg.autojump()).autojumpThreshold(cfg.threshold());
    if (seed != null) {
      b.seed(seed).recordSchedule(true);
    }
    return b.build();
  }

  private static Config config(Method m) {
    AsyncTest a =
        AnnotationSupport.findAnnotation(m, AsyncTest.class)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "AsyncTestExtension needs @AsyncTest on " + m));
    Duration timeout = a.timeout().isBlank() ? null : duration("timeout", a.timeout(), m);
    Duration threshold = duration("autojumpThreshold", a.autojumpThreshold(), m);
    if (a.seeds() < 0) {
      throw new ExtensionConfigurationException(
          "@AsyncTest(seeds) must not be negative on " + m + ": " + a.seeds());
    }
    List<Long> seeds = new ArrayList<>();
    OptionalLong forced = Explore.seedFromProperty();
    boolean explores = a.seeds() > 0 || !a.seed().isBlank();
    if (explores && forced.isPresent()) {
      seeds.add(forced.getAsLong());
    } else if (!a.seed().isBlank()) {
      try {
        seeds.add(Long.parseLong(a.seed().trim()));
      } catch (NumberFormatException e) {
        throw new ExtensionConfigurationException(
            "@AsyncTest(seed) must be an integer on " + m + ": '" + a.seed() + "'", e);
      }
    } else if (a.seeds() > 0) {
      for (long s = 0; s < a.seeds(); s++) {
        seeds.add(s);
      }
    } else {
      seeds.add(null);
    }
    return new Config(timeout, a.autojump(), threshold, seeds, a.allowLeakedTasks());
  }

  private static Duration duration(String what, String text, Method m) {
    try {
      Duration d = Duration.parse(text.trim());
      if (d.isNegative()) {
        throw new ExtensionConfigurationException(
            "@AsyncTest(" + what + ") must not be negative on " + m + ": " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ExtensionConfigurationException(
          "@AsyncTest("
              + what
              + ") must be an ISO-8601 duration like PT10S on "
              + m
              + ": '"
              + text
              + "'",
          e);
    }
  }
}
