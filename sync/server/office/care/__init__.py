"""The care network in the office (issue 21): pairs of teachers and children, the records teachers
make on their phones, photos, counselling, and the school's activity news."""
