"""Pages of sharing: the coordinators' grants (grants), the grantee's area (shared), the
downloads it stamps (downloads) and meeting requests (meetings)."""
