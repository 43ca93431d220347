/**
 * The {@code jasyncio} command line tool: {@code ps PID} and {@code pstree PID} show the event
 * loops and tasks of a running JVM, attaching through the Attach API and JMX. {@code bin/jasyncio}
 * runs it on the class path.
 */
module io.jasyncio.tools {
  requires io.jasyncio;
  requires info.picocli;
  requires java.management;
  requires jdk.attach;

  opens io.jasyncio.tools to
      info.picocli;

  exports io.jasyncio.tools.demo;
}
