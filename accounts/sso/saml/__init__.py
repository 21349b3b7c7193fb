"""The SAML provider's package as allauth sees it (SchoolSAMLProvider.get_package): its URLs."""
