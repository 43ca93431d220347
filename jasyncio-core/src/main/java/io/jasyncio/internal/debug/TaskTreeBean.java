package io.jasyncio.internal.debug;

import io.jasyncio.debug.TaskTree;
import io.jasyncio.debug.TaskTreeMXBean;

/** The MBean behind {@code jasyncio ps PID}: each call takes a fresh snapshot. */
final class TaskTreeBean implements TaskTreeMXBean {
  @Override
  public String ps() {
    return TaskTree.capture().formatPs();
  }

  @Override
  public String pstree() {
    return TaskTree.capture().formatTree();
  }
}
