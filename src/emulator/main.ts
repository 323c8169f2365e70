// Placeholder entry until the emulator lands.
export {};
