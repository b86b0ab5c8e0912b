/** Version of the live protocol; a client whose version differs is refused at the handshake. */
export const PROTOCOL_VERSION = 1 as const;
