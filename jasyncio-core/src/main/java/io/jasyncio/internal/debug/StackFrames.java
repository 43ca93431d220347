package io.jasyncio.internal.debug;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trims a task's raw stack to what its author wrote.
 *
 * <p>A task's frames sit on a carrier thread above {@code TaskImpl.run}; below that is the loop's
 * machinery, above the user's code are jasyncio's and the JDK's frames of the wait. The user view
 * keeps the user's frames and, of each run of jasyncio frames, the one public call the user's code
 * made ({@code Async.sleep}, {@code Async.taskGroup}, ...); JDK frames and jasyncio internals go.
 *
 * <p>"jasyncio" means classes under {@code io.jasyncio.}, except programs built on it ({@code
 * io.jasyncio.examples}, {@code .tools}, {@code .benchmarks}) and test classes (names ending in
 * {@code Test}, {@code Tests}, {@code IT}), which are user code for this purpose.
 */
public final class StackFrames {
  private static final String RUN_CLASS = "io.jasyncio.internal.TaskImpl";
  private static final String HANDLE_CLASS = "io.jasyncio.internal.HandleImpl";

  private StackFrames() {}

  /** The frames above the task's entry, that is everything the task itself has on the stack. */
  public static List<StackTraceElement> taskFrames(StackTraceElement[] raw) {
    int cut = raw.length;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].getClassName().equals(RUN_CLASS) && raw[i].getMethodName().equals("run")) {
        cut = i;
        break;
      }
    }
    return Arrays.asList(raw).subList(0, cut);
  }

  /** The frames above a callback's entry ({@code HandleImpl.fire}): the callback's own. */
  public static List<StackTraceElement> callbackFrames(StackTraceElement[] raw) {
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].getClassName().equals(HANDLE_CLASS) && raw[i].getMethodName().equals("fire")) {
        return Arrays.asList(raw).subList(0, i);
      }
    }
    return Arrays.asList(raw);
  }

  /** The user view of a task's raw stack (innermost first); see the class comment. */
  public static List<StackTraceElement> userView(StackTraceElement[] raw) {
    List<StackTraceElement> frames = taskFrames(raw);
    List<StackTraceElement> out = new ArrayList<>();
    StackTraceElement lastPublic = null;
    for (StackTraceElement f : frames) {
      String c = f.getClassName();
      if (isLibrary(c)) {
        // Each run of jasyncio frames ends with the call the user's code made: keep that one.
        if (!isInternal(c)) {
          lastPublic = f;
        }
      } else if (isJdk(c)) {
        continue;
      } else {
        if (lastPublic != null) {
          out.add(lastPublic);
          lastPublic = null;
        }
        out.add(f);
      }
    }
    if (out.isEmpty() && lastPublic != null) {
      out.add(lastPublic);
    }
    return out;
  }

  /** Whether a class is part of jasyncio (a library frame), not of a program using it. */
  public static boolean isLibrary(String className) {
    if (!className.startsWith("io.jasyncio.")) {
      return false;
    }
    if (className.startsWith("io.jasyncio.examples.")
        || className.startsWith("io.jasyncio.tools.")
        || className.startsWith("io.jasyncio.benchmarks.")) {
      return false;
    }
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int dollar = simple.indexOf('$');
    String top = dollar < 0 ? simple : simple.substring(0, dollar);
    return !(top.endsWith("Test") || top.endsWith("Tests") || top.endsWith("IT"));
  }

  static boolean isInternal(String className) {
    return className.contains(".internal.");
  }

  static boolean isJdk(String className) {
    return className.startsWith("java.")
        || className.startsWith("javax.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.");
  }

  /** {@code pkg.Class.method(File.java:12)}, without the module and class loader prefix. */
  public static String format(StackTraceElement f) {
    return f.getClassName() + "." + f.getMethodName() + location(f);
  }

  /** {@code Class.method(File.java:12)}: the class without its package. */
  public static String formatShort(StackTraceElement f) {
    String c = f.getClassName();
    return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName() + location(f);
  }

  private static String location(StackTraceElement f) {
    if (f.isNativeMethod()) {
      return "(Native Method)";
    }
    String file = f.getFileName();
    if (file == null) {
      return "(Unknown Source)";
    }
    return f.getLineNumber() >= 0 ? "(" + file + ":" + f.getLineNumber() + ")" : "(" + file + ")";
  }

  /** One frame per line, each {@code "\tat "}-prefixed like a Java stack trace. */
  public static String formatLines(List<StackTraceElement> frames) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement f : frames) {
      b.append("\tat ").append(format(f)).append('\n');
    }
    return b.toString();
  }
}
