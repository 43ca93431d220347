package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.internal.CarrierThreads;
import io.jasyncio.internal.LoopImpl;
import org.junit.jupiter.api.Test;

class CarrierModeTest {

  @Test
  void theLoopUsesOneCarrierThreadExactlyWhenThatModeIsAvailableAndChosen() {
    String mode = System.getProperty("jasyncio.carriers", "auto");
    boolean expected =
        mode.equals("single") || (mode.equals("auto") && CarrierThreads.singleAvailable());
    try (Runner r = Runner.create()) {
      boolean single = r.run(() -> ((LoopImpl) Async.currentLoop()).isSingleCarrier());
      assertThat(single).isEqualTo(expected);
    }
  }
}
