"""The seed list of subjects (from the program's domain notes); admins edit it afterwards."""

PRECLINICAL = [
    "Anatomy", "Histology", "Embryology", "Physiology", "Biochemistry", "Genetics",
    "Cell Biology", "Immunology", "Microbiology", "Pathology", "Pharmacology",
    "Neuroscience", "Behavioral Science", "Biostatistics and Epidemiology",
]
CLINICAL = [
    "Clinical Skills (OSCE)", "Physical Diagnosis", "USMLE Step 1", "COMLEX Level 1",
    "Shelf: Internal Medicine", "Shelf: Surgery", "Shelf: Pediatrics",
]
