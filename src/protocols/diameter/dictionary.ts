/**
 * The Diameter numbers OpenCEIR speaks: base protocol (RFC 6733 §4.5, §5, §7.1) and the S13
 * application (3GPP TS 29.272 §7.2.19–20, §7.3, §7.4.3). Flags and codes as in the Wireshark and
 * freeDiameter dictionaries.
 */

export const VENDOR_3GPP = 10415;
export const APP_S13 = 16777252;
export const APP_RELAY = 0xffffffff;

export const FLAG = { request: 0x80, proxiable: 0x40, error: 0x20, retransmit: 0x10 } as const;
export const AVP_FLAG = { vendor: 0x80, mandatory: 0x40, protected: 0x20 } as const;

export const CMD = {
  capabilitiesExchange: 257,
  deviceWatchdog: 280,
  disconnectPeer: 282,
  meIdentityCheck: 324,
} as const;

export const AVP = {
  userName: 1,
  hostIpAddress: 257,
  authApplicationId: 258,
  acctApplicationId: 259,
  vendorSpecificApplicationId: 260,
  sessionId: 263,
  originHost: 264,
  supportedVendorId: 265,
  vendorId: 266,
  firmwareRevision: 267,
  resultCode: 268,
  productName: 269,
  disconnectCause: 273,
  authSessionState: 277,
  originStateId: 278,
  failedAvp: 279,
  errorMessage: 281,
  routeRecord: 282,
  destinationRealm: 283,
  proxyInfo: 284,
  destinationHost: 293,
  originRealm: 296,
  experimentalResult: 297,
  experimentalResultCode: 298,
  inbandSecurityId: 299,
  drmp: 301,
  // 3GPP (vendor 10415)
  terminalInformation: 1401,
  imei: 1402,
  softwareVersion: 1403,
  equipmentStatus: 1445,
  meid3gpp2: 1471,
} as const;

export const RESULT = {
  success: 2001,
  commandUnsupported: 3001,
  tooBusy: 3004,
  applicationUnsupported: 3007,
  invalidHeaderBits: 3008,
  invalidAvpBits: 3009,
  unknownPeer: 3010,
  avpUnsupported: 5001,
  invalidAvpValue: 5004,
  missingAvp: 5005,
  noCommonApplication: 5010,
  unsupportedVersion: 5011,
  unableToComply: 5012,
  invalidAvpLength: 5014,
  invalidMessageLength: 5015,
  /** DIAMETER_ERROR_EQUIPMENT_UNKNOWN, inside Experimental-Result (TS 29.272 §7.4.3.5). */
  equipmentUnknown: 5422,
} as const;

/** Equipment-Status (TS 29.272 §7.3.51). */
export const EQUIPMENT_STATUS = { allowed: 0, blocked: 1, tracked: 2 } as const;
