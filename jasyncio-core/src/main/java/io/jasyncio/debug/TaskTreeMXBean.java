package io.jasyncio.debug;

/**
 * The management interface registered as {@code io.jasyncio:type=TaskTree} in the platform MBean
 * server when the JVM creates its first event loop. {@code bin/jasyncio ps PID} and {@code pstree
 * PID} call it through JMX; JConsole and JDK Mission Control show it too.
 */
public interface TaskTreeMXBean {
  /** The object name under which jasyncio registers it. */
  String OBJECT_NAME = "io.jasyncio:type=TaskTree";

  /**
   * A fresh snapshot as a table.
   *
   * @return {@link TaskTree#formatPs()} of {@link TaskTree#capture()}
   */
  String ps();

  /**
   * A fresh snapshot as a tree.
   *
   * @return {@link TaskTree#formatTree()} of {@link TaskTree#capture()}
   */
  String pstree();
}
