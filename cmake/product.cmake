# The MSI's codes. The UpgradeCode stays for the product's life (a major
# upgrade finds the installed version by it). The ProductCode is derived from
# it and the version, as a name-based UUID (RFC 4122 version 5, SHA-1), so
# every build of one version carries the same one: admins key Intune, SCCM
# and GPO detection on it. A new version gets a new one (a major upgrade).
set(NR_UPGRADE_CODE 8607F49B-9BE8-4AF7-AE2C-03DCC26B49BD)

# nr_product_code(<version> <out var>): {GUID} of the x64 MSI of that version.
function(nr_product_code version out)
  string(UUID code NAMESPACE ${NR_UPGRADE_CODE} NAME "netreclaim x64 ${version}" TYPE SHA1 UPPER)
  set(${out} "{${code}}" PARENT_SCOPE)
endfunction()
