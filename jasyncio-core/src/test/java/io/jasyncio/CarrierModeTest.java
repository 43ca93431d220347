package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.internal.LoopImpl;
import org.junit.jupiter.api.Test;

class CarrierModeTest {

  @Test
  void theLoopUsesOneCarrierThreadExactlyWhenThatModeIsChosen() {
    boolean expected = System.getProperty("jasyncio.carriers", "shared").equals("single");
    try (Runner r = Runner.create()) {
      boolean single = r.run(() -> ((LoopImpl) Async.currentLoop()).isSingleCarrier());
      assertThat(single).isEqualTo(expected);
    }
  }
}
