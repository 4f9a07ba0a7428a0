package dev.algotrade.api.risk;

/**
 * A rule's verdict. Approval is a shared constant (no allocation on the hot path); a denial
 * carries a stable code and key=value details with the numbers.
 */
public record RiskDecision(boolean approved, String code, String details) {

  public static final RiskDecision APPROVED = new RiskDecision(true, "", "");

  public RiskDecision {
    if (code == null || details == null) {
      throw new IllegalArgumentException("RiskDecision.code and details must not be null");
    }
    if (!approved && code.isBlank()) {
      throw new IllegalArgumentException("RiskDecision.code must not be blank for a denial");
    }
  }

  public static RiskDecision approve() {
    return APPROVED;
  }

  public static RiskDecision deny(String code, String details) {
    return new RiskDecision(false, code, details);
  }

  public boolean denied() {
    return !approved;
  }
}
