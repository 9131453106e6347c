/** The Redis version Spinel implements and reports. */
export const SPINEL_VERSION = '7.2.6';
