"""The use cases the commands drive: plan and apply, doctor, init, editor decisions, maintenance."""
