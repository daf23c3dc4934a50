/*
 * epos_trust_flush: a PKCS#11 module with no slots and no tokens, which does nothing.
 *
 * Why it exists (docs/browser-behaviour.md §6, measured with Firefox ESR 153): Firefox caches
 * certificate trust (its CertVerifier trust cache), so a certificate epos-trust adds to the
 * profile's database after Firefox has rejected it stays rejected until a restart. Loading or
 * unloading any PKCS#11 module clears that cache. The extension (permission "pkcs11") calls
 * browser.pkcs11.installModule("epos_trust_flush") then uninstallModule(...): 3-8 ms, and the
 * reload is secure. Firefox finds this library through the native manifest of type "pkcs11"
 * (manifests/epos_trust_flush.pkcs11.json.in).
 *
 * It must therefore load cleanly in NSS and offer nothing: C_GetSlotList reports zero slots,
 * so no token, key or certificate of it can ever appear in the browser.
 */
#include <string.h>

#include <p11-kit/pkcs11.h>

#if defined(_WIN32)
#define EPOS_EXPORT __declspec(dllexport)
#else
#define EPOS_EXPORT __attribute__((visibility("default")))
#endif

static CK_RV flush_initialize(void* init_args) {
    (void)init_args;
    return CKR_OK;
}

static CK_RV flush_finalize(void* reserved) {
    return reserved == NULL ? CKR_OK : CKR_ARGUMENTS_BAD;
}

static void pad(unsigned char* field, size_t size, const char* text) {
    memset(field, ' ', size);
    memcpy(field, text, strlen(text) < size ? strlen(text) : size);
}

static CK_RV flush_get_info(CK_INFO_PTR info) {
    if (info == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(info, 0, sizeof *info);
    info->cryptokiVersion.major = 2;
    info->cryptokiVersion.minor = 40;
    pad(info->manufacturerID, sizeof info->manufacturerID, "epos-trust");
    pad(info->libraryDescription, sizeof info->libraryDescription,
        "epos-trust Firefox trust flush");
    info->libraryVersion.major = 1;
    return CKR_OK;
}

static CK_RV flush_get_slot_list(CK_BBOOL token_present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count) {
    (void)token_present;
    (void)slots;
    if (count == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *count = 0;
    return CKR_OK;
}

/* Everything else: there is no slot, so there is nothing to do. Every entry of the function
 * list must still be a callable function, not NULL. */
static CK_RV flush_no_slot(void) {
    return CKR_SLOT_ID_INVALID;
}

static CK_RV flush_not_parallel(void) {
    return CKR_FUNCTION_NOT_PARALLEL;
}

static CK_RV flush_get_function_list(CK_FUNCTION_LIST_PTR_PTR list);

#define NO_SLOT(type) ((type)(void (*)(void))flush_no_slot)

static CK_FUNCTION_LIST function_list = {
    {2, 40},
    flush_initialize,
    flush_finalize,
    flush_get_info,
    flush_get_function_list,
    flush_get_slot_list,
    NO_SLOT(CK_C_GetSlotInfo),
    NO_SLOT(CK_C_GetTokenInfo),
    NO_SLOT(CK_C_GetMechanismList),
    NO_SLOT(CK_C_GetMechanismInfo),
    NO_SLOT(CK_C_InitToken),
    NO_SLOT(CK_C_InitPIN),
    NO_SLOT(CK_C_SetPIN),
    NO_SLOT(CK_C_OpenSession),
    NO_SLOT(CK_C_CloseSession),
    NO_SLOT(CK_C_CloseAllSessions),
    NO_SLOT(CK_C_GetSessionInfo),
    NO_SLOT(CK_C_GetOperationState),
    NO_SLOT(CK_C_SetOperationState),
    NO_SLOT(CK_C_Login),
    NO_SLOT(CK_C_Logout),
    NO_SLOT(CK_C_CreateObject),
    NO_SLOT(CK_C_CopyObject),
    NO_SLOT(CK_C_DestroyObject),
    NO_SLOT(CK_C_GetObjectSize),
    NO_SLOT(CK_C_GetAttributeValue),
    NO_SLOT(CK_C_SetAttributeValue),
    NO_SLOT(CK_C_FindObjectsInit),
    NO_SLOT(CK_C_FindObjects),
    NO_SLOT(CK_C_FindObjectsFinal),
    NO_SLOT(CK_C_EncryptInit),
    NO_SLOT(CK_C_Encrypt),
    NO_SLOT(CK_C_EncryptUpdate),
    NO_SLOT(CK_C_EncryptFinal),
    NO_SLOT(CK_C_DecryptInit),
    NO_SLOT(CK_C_Decrypt),
    NO_SLOT(CK_C_DecryptUpdate),
    NO_SLOT(CK_C_DecryptFinal),
    NO_SLOT(CK_C_DigestInit),
    NO_SLOT(CK_C_Digest),
    NO_SLOT(CK_C_DigestUpdate),
    NO_SLOT(CK_C_DigestKey),
    NO_SLOT(CK_C_DigestFinal),
    NO_SLOT(CK_C_SignInit),
    NO_SLOT(CK_C_Sign),
    NO_SLOT(CK_C_SignUpdate),
    NO_SLOT(CK_C_SignFinal),
    NO_SLOT(CK_C_SignRecoverInit),
    NO_SLOT(CK_C_SignRecover),
    NO_SLOT(CK_C_VerifyInit),
    NO_SLOT(CK_C_Verify),
    NO_SLOT(CK_C_VerifyUpdate),
    NO_SLOT(CK_C_VerifyFinal),
    NO_SLOT(CK_C_VerifyRecoverInit),
    NO_SLOT(CK_C_VerifyRecover),
    NO_SLOT(CK_C_DigestEncryptUpdate),
    NO_SLOT(CK_C_DecryptDigestUpdate),
    NO_SLOT(CK_C_SignEncryptUpdate),
    NO_SLOT(CK_C_DecryptVerifyUpdate),
    NO_SLOT(CK_C_GenerateKey),
    NO_SLOT(CK_C_GenerateKeyPair),
    NO_SLOT(CK_C_WrapKey),
    NO_SLOT(CK_C_UnwrapKey),
    NO_SLOT(CK_C_DeriveKey),
    NO_SLOT(CK_C_SeedRandom),
    NO_SLOT(CK_C_GenerateRandom),
    (CK_C_GetFunctionStatus)(void (*)(void))flush_not_parallel,
    (CK_C_CancelFunction)(void (*)(void))flush_not_parallel,
    NO_SLOT(CK_C_WaitForSlotEvent),
};

static CK_RV flush_get_function_list(CK_FUNCTION_LIST_PTR_PTR list) {
    if (list == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *list = &function_list;
    return CKR_OK;
}

EPOS_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
    return flush_get_function_list(list);
}
