"""The school's central server: enrolment, event intake, roster/catalogue changes for the kiosks."""
