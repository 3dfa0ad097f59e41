CREATE TABLE rm_business_relation (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_business_relation PRIMARY KEY (code)
);

CREATE TABLE rm_campaign_status (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_campaign_status PRIMARY KEY (code)
);

CREATE TABLE rm_close_opportunity_code (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	type VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_close_opportunity_code PRIMARY KEY (code)
);

CREATE TABLE rm_industry_group (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_industry_group PRIMARY KEY (code)
);

CREATE TABLE rm_job_responsibility (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_job_responsibility PRIMARY KEY (code)
);

CREATE TABLE rm_mailing_group (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_mailing_group PRIMARY KEY (code)
);

CREATE TABLE rm_number_series (
	code VARCHAR(20) NOT NULL,
	description VARCHAR(100) NOT NULL,
	starting_no VARCHAR(20) NOT NULL,
	ending_no VARCHAR(20),
	warning_no VARCHAR(20),
	increment_by INTEGER NOT NULL,
	last_no_used VARCHAR(20),
	last_date_used DATE,
	manual_nos BOOLEAN NOT NULL,
	default_nos BOOLEAN NOT NULL,
	date_order BOOLEAN NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_number_series PRIMARY KEY (code),
	CONSTRAINT ck_rm_number_series_increment_by CHECK (increment_by >= 1)
);

CREATE TABLE rm_organizational_level (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_organizational_level PRIMARY KEY (code)
);

CREATE TABLE rm_salutation (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_salutation PRIMARY KEY (code)
);

CREATE TABLE rm_setup (
	id INTEGER NOT NULL,
	contact_nos VARCHAR(20),
	campaign_nos VARCHAR(20),
	segment_nos VARCHAR(20),
	task_nos VARCHAR(20),
	opportunity_nos VARCHAR(20),
	bus_rel_code_for_customers VARCHAR(10),
	bus_rel_code_for_vendors VARCHAR(10),
	bus_rel_code_for_bank_accounts VARCHAR(10),
	bus_rel_code_for_employees VARCHAR(10),
	attachment_storage_type VARCHAR(30) NOT NULL,
	attachment_storage_location VARCHAR(250) NOT NULL,
	mergefield_language_id INTEGER NOT NULL,
	inherit_salesperson_code BOOLEAN NOT NULL,
	inherit_territory_code BOOLEAN NOT NULL,
	inherit_country_code BOOLEAN NOT NULL,
	inherit_language_code BOOLEAN NOT NULL,
	inherit_format_region BOOLEAN NOT NULL,
	inherit_address_details BOOLEAN NOT NULL,
	inherit_communication_details BOOLEAN NOT NULL,
	default_salesperson_code VARCHAR(20),
	default_territory_code VARCHAR(10),
	default_country_code VARCHAR(10),
	default_language_code VARCHAR(10),
	default_format_region VARCHAR(80) NOT NULL,
	default_sales_cycle_code VARCHAR(10),
	default_company_salutation_code VARCHAR(10),
	default_person_salutation_code VARCHAR(10),
	default_correspondence_type VARCHAR(30) NOT NULL,
	default_task_date_formula VARCHAR(64),
	autosearch_for_duplicates BOOLEAN NOT NULL,
	maintain_dupl_search_strings BOOLEAN NOT NULL,
	search_hit_pct INTEGER NOT NULL,
	version INTEGER NOT NULL,
	CONSTRAINT pk_rm_setup PRIMARY KEY (id),
	CONSTRAINT ck_rm_setup_singleton CHECK (id = 1),
	CONSTRAINT ck_rm_setup_search_hit_pct CHECK (search_hit_pct BETWEEN 1 AND 100)
);

CREATE TABLE rm_territory (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	CONSTRAINT pk_rm_territory PRIMARY KEY (code)
);

CREATE TABLE rm_web_source (
	code VARCHAR(10) NOT NULL,
	description VARCHAR(100) NOT NULL,
	url VARCHAR(250) NOT NULL,
	CONSTRAINT pk_rm_web_source PRIMARY KEY (code)
);

CREATE TABLE rm_salutation_formula (
	salutation_code VARCHAR(10) NOT NULL,
	language_code VARCHAR(10) NOT NULL,
	salutation_type VARCHAR(30) NOT NULL,
	salutation VARCHAR(50) NOT NULL,
	name_1 VARCHAR(30) NOT NULL,
	name_2 VARCHAR(30) NOT NULL,
	name_3 VARCHAR(30) NOT NULL,
	name_4 VARCHAR(30) NOT NULL,
	name_5 VARCHAR(30) NOT NULL,
	CONSTRAINT pk_rm_salutation_formula PRIMARY KEY (salutation_code, language_code, salutation_type),
	CONSTRAINT fk_rm_salutation_formula_salutation_code FOREIGN KEY(salutation_code) REFERENCES rm_salutation (code) ON DELETE RESTRICT
);

