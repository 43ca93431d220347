package io.jasyncio.tools;

/** A child JVM without jasyncio: prints "ready" and sleeps until killed. */
final class Idle {
  private Idle() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(600_000); // the subject: a JVM that just exists; the test kills it
  }
}
