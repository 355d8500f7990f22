/** rift's version, as package.json says (a unit test keeps the two equal); journals and `rift drivers` report it. */
export const RIFT_VERSION = '0.1.0'
