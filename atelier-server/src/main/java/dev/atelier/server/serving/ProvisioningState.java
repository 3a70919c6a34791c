package dev.atelier.server.serving;

/** Where a deployment stands, with Azure ML's names. */
public enum ProvisioningState {
    CREATING("Creating"),
    UPDATING("Updating"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String wireName;

    ProvisioningState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ProvisioningState parse(String wireName) {
        for (ProvisioningState state : values()) {
            if (state.wireName.equals(wireName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown provisioning state " + wireName);
    }
}
