-- Run once by the official postgres image on an empty data directory: one database per
-- service (DESIGN.md "Data"). Each service applies its own migrations at start.
CREATE DATABASE thankstar_telephony;
CREATE DATABASE thankstar_customers;
CREATE DATABASE thankstar_billing;
CREATE DATABASE thankstar_licensing;
